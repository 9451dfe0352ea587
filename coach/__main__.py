from coach.launch import main

main()
